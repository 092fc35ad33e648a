// The U-Net of the classic Keras retina-vessel-segmentation tutorial (channels_first
// 48x48 patches; Conv2D/Dropout/MaxPooling2D down, UpSampling2D + concatenate skips up;
// Reshape + Permute + softmax per pixel), trained for a few steps on synthetic patches with
// ModelCheckpoint(save_best_only=True, monitor="val_loss") and validation_split=0.1.
//
//   build/examples/retina_unet [epochs]
#include <keras/keras.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

using namespace keras;

Model get_unet(std::int64_t channels, std::int64_t height, std::int64_t width) {
  const layers::Conv2DOptions conv{.padding = "same", .data_format = "channels_first", .activation = "relu"};
  const layers::PoolingOptions pool{.data_format = "channels_first"};
  const layers::UpSampling2DOptions up{.data_format = "channels_first"};
  Tensor inputs = Input({channels, height, width});
  Tensor conv1 = layers::Conv2D(32, {3, 3}, conv)(inputs);
  conv1 = layers::Dropout(0.2)(conv1);
  conv1 = layers::Conv2D(32, {3, 3}, conv)(conv1);
  Tensor pool1 = layers::MaxPooling2D({2, 2}, pool)(conv1);
  Tensor conv2 = layers::Conv2D(64, {3, 3}, conv)(pool1);
  conv2 = layers::Dropout(0.2)(conv2);
  conv2 = layers::Conv2D(64, {3, 3}, conv)(conv2);
  Tensor pool2 = layers::MaxPooling2D({2, 2}, pool)(conv2);
  Tensor conv3 = layers::Conv2D(128, {3, 3}, conv)(pool2);
  conv3 = layers::Dropout(0.2)(conv3);
  conv3 = layers::Conv2D(128, {3, 3}, conv)(conv3);
  Tensor up1 = layers::UpSampling2D({2, 2}, up)(conv3);
  up1 = layers::concatenate({conv2, up1}, 1);
  Tensor conv4 = layers::Conv2D(64, {3, 3}, conv)(up1);
  conv4 = layers::Dropout(0.2)(conv4);
  conv4 = layers::Conv2D(64, {3, 3}, conv)(conv4);
  Tensor up2 = layers::UpSampling2D({2, 2}, up)(conv4);
  up2 = layers::concatenate({conv1, up2}, 1);
  Tensor conv5 = layers::Conv2D(32, {3, 3}, conv)(up2);
  conv5 = layers::Dropout(0.2)(conv5);
  conv5 = layers::Conv2D(32, {3, 3}, conv)(conv5);
  Tensor conv6 = layers::Conv2D(2, {1, 1}, conv)(conv5);
  conv6 = layers::Reshape({2, height * width})(conv6);
  conv6 = layers::Permute({2, 1})(conv6);
  Tensor conv7 = layers::Activation("softmax")(conv6);
  return Model(inputs, conv7);
}

int main(int argc, char** argv) {
  const std::int64_t epochs = argc > 1 ? std::atoll(argv[1]) : 2;
  utils::set_random_seed(4);
  const std::int64_t n = 160;
  const std::int64_t side = 48;
  // Synthetic patches: bright "vessels" are the positive class.
  Tensor images = random::uniform({n, 1, side, side});
  Tensor vessel = ops::cast(ops::greater(ops::reshape(images, {n, side * side}), 0.7), DType::int32);
  Tensor masks = utils::to_categorical(vessel, 2);  // (n, 2304, 2)

  Model model = get_unet(1, side, side);
  model.compile({.optimizer = "sgd", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  model.summary();
  const std::string dir = std::filesystem::temp_directory_path() / "retina_unet";
  std::filesystem::create_directories(dir);
  auto checkpointer = std::make_shared<callbacks::ModelCheckpoint>(
      dir + "/retina_unet_best.h5",
      callbacks::ModelCheckpointOptions{.monitor = "val_loss", .verbose = 1, .save_best_only = true, .mode = "auto"});
  auto history = model.fit(images, masks, {.batch_size = 32, .epochs = epochs, .verbose = 2, .callbacks = {checkpointer},
                                           .validation_split = 0.1, .shuffle = true});
  // The best model was saved whole (a legacy .h5 file, as the tutorial wrote): it loads back.
  const auto best = saving::load_model(dir + "/retina_unet_best.h5");
  std::cout << "best val_loss " << *checkpointer->best() << ", best model reloaded with " << best->layers().size()
            << " layers\n";
  return best->layers().size() == model.layers().size() && history.history.contains("val_loss") ? 0 : 1;
}
